from . import relationship_purchase
from . import pos_order
from . import account_move
from . import relationship_backfill
