from . import test_sale_purchases
from . import test_sale_access
from . import test_sale_invoices
from . import test_backfill
from . import test_translations
from . import test_ui
