from . import relationship_purchase
from . import sale_order
from . import sale_order_line
from . import relationship_backfill
from . import account_move
