"""Demo accounts, one per role. Officials, moderators and the administrator
have TOTP enrolled with a fixed, published secret; `manage.py totp_code
<email>` prints their current code."""

import base64
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import Membership, ModeratorRole, User
from civic.models import Area, Department

# email, password, display name, home area code, role, role detail
ACCOUNTS = [
    (
        "resident@minyi.example",
        "Minyi-resident-2026",
        "张晓雨 Zhang Xiaoyu",
        "500103002001",
        "resident",
        None,
    ),
    (
        "resident2@minyi.example",
        "Minyi-resident-2026",
        "王磊 Wang Lei",
        "500106001001",
        "resident",
        None,
    ),
    (
        "official@minyi.example",
        "Minyi-official-2026",
        "李建国 Li Jianguo",
        "500103001001",
        "official",
        ["civil-affairs", "yuzhong-civil-affairs"],
    ),
    (
        "transport@minyi.example",
        "Minyi-official-2026",
        "陈静 Chen Jing",
        "500106002001",
        "official",
        ["transport-commission"],
    ),
    (
        "yuzhong@minyi.example",
        "Minyi-official-2026",
        "刘洋 Liu Yang",
        "500103002002",
        "official",
        ["yuzhong-government"],
    ),
    (
        "moderator@minyi.example",
        "Minyi-moderator-2026",
        "周敏 Zhou Min",
        "500103003001",
        "moderator",
        None,
    ),
    (
        "admin@minyi.example",
        "Minyi-admin-2026",
        "系统管理员 Administrator",
        None,
        "administrator",
        None,
    ),
]


def demo_totp_secret(email: str) -> str:
    """A fixed TOTP secret per demo account, so it can be printed."""
    digest = hashlib.sha256(f"minyi-demo:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def describe() -> list[dict]:
    """The demo accounts as `seed` prints them, without writing."""
    return [
        {
            "email": email,
            "password": password,
            "role": role,
            "totp_secret": demo_totp_secret(email) if role != "resident" else None,
        }
        for email, password, _name, _area, role, _detail in ACCOUNTS
    ]


def seed() -> list[dict]:
    """Create or refresh the demo accounts; return what to print."""
    for email, password, name, area_code, role, detail in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password)
        user.display_name = name
        user.home_area = (
            Area.objects.filter(code=area_code).first() if area_code else None
        )
        user.is_staff = user.is_superuser = role == "administrator"
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role == "official":
            for slug in detail:
                Membership.objects.get_or_create(
                    user=user, department=Department.objects.get(slug=slug)
                )
        if role == "moderator":
            ModeratorRole.objects.get_or_create(user=user, department=None)
        if (
            role != "resident"
            and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            TOTP.activate(user, demo_totp_secret(email))
    return describe()
