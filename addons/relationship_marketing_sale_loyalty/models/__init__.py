from . import relationship_membership
