"""The audit row of a linking step, written in the name of the Telegram account that tried."""

from models.audit import AuditEntry


def link_audit(telegram_id: int, action: str, target: str = "", detail: str = "") -> AuditEntry:
    """Return an audit row for a link, a refusal or a failed code of this account."""
    return AuditEntry(
        telegram_id=telegram_id,
        actor=f"telegram:{telegram_id}",
        action=action,
        target=target,
        detail=detail,
    )
