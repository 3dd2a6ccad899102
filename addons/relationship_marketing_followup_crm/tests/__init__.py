from . import test_opportunity_followups
from . import test_translations
from . import test_ui
