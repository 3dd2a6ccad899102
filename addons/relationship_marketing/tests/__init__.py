from . import test_purchase_rows
from . import test_ingest
from . import test_ladder
from . import test_purchase
from . import test_security
from . import test_lifecycle
from . import test_hostile_input
