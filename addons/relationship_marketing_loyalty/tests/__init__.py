from . import test_card_points
from . import test_translations
from . import test_ui
