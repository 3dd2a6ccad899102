from . import test_won_opportunities
