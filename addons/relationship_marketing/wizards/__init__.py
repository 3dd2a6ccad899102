from . import relationship_backfill
