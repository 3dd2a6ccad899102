from . import test_club_membership
from . import test_translations

from . import test_ui
