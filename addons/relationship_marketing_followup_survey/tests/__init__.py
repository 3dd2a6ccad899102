from . import test_survey_followup
from . import test_translations
from . import test_ui
