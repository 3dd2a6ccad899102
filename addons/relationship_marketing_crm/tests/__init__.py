from . import test_prospects
from . import test_inquiries_and_opportunities
from . import test_translations
