from . import test_dispute_raise
from . import test_dispute_rules
from . import test_dispute_hold
from . import test_dispute_totals
from . import test_dispute_chatter
from . import test_dispute_security
from . import test_dispute_cost
