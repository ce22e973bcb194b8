"""SQLAlchemy models. No Flask import here: the app binds them through Flask-SQLAlchemy."""

from models.base import Base
from models.children import Approval, Child, Contact, Placement, Withholding
from models.dashboard import NoticeCount
from models.imports import CaseSystemChange, CaseSystemImport
from models.inbound import InboundNotice
from models.notifications import DeliveryAttempt, Notification
from models.reference import (
    AdjoiningAuthority,
    Authority,
    BankHoliday,
    District,
    DistrictAuthority,
    DistrictHealthBody,
    HealthBody,
    Postcode,
    ReferenceVersion,
    SecureDomain,
    Succession,
)
from models.users import ApiClient, AuditChild, AuditEvent, SignInThrottle, User, WebSession

__all__ = [
    "AdjoiningAuthority",
    "ApiClient",
    "Approval",
    "AuditChild",
    "AuditEvent",
    "Authority",
    "BankHoliday",
    "Base",
    "CaseSystemChange",
    "CaseSystemImport",
    "Child",
    "Contact",
    "DeliveryAttempt",
    "District",
    "DistrictAuthority",
    "DistrictHealthBody",
    "HealthBody",
    "InboundNotice",
    "NoticeCount",
    "Notification",
    "Placement",
    "Postcode",
    "ReferenceVersion",
    "Succession",
    "SecureDomain",
    "SignInThrottle",
    "User",
    "WebSession",
    "Withholding",
]
