from . import test_mailing_list_sync
from . import test_translations
