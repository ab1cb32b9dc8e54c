from . import account_dispute_raise_wizard
