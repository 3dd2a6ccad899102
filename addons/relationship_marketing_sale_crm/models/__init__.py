from . import relationship_purchase
