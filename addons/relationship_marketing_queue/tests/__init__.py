from . import test_night_in_jobs
from . import test_translations
