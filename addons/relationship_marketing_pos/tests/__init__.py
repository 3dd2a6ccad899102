from . import test_pos_purchases
from . import test_pos_access
from . import test_backfill
from . import test_translations
from . import test_ui
