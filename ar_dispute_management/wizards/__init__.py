from . import account_dispute_raise_wizard
from . import account_dispute_resolve_wizard
