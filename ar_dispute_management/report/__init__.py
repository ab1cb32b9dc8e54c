from . import account_dispute_report
from . import account_dispute_root_cause_report
