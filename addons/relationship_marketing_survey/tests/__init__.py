from . import test_satisfaction_survey
from . import test_translations
