from . import relationship_purchase
from . import account_move
from . import relationship_backfill
