from . import relationship_programme
from . import relationship_membership
from . import res_partner
