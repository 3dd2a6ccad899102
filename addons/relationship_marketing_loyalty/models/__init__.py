from . import relationship_programme
from . import relationship_membership
from . import loyalty_card
from . import res_partner
