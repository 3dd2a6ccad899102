from . import test_invoice_purchases
from . import test_credit_notes
from . import test_invoice_access
from . import test_backfill
from . import test_translations
from . import test_ui
