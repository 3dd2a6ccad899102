from . import test_translations
from . import test_won_opportunities
