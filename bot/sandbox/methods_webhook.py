"""Bot API methods of the webhook: setWebhook, deleteWebhook, getWebhookInfo."""

from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.store import SandboxState
from bot.sandbox.webhook import WEBHOOK_CONFLICT, WebhookConfig, read_config


def _apply(state: SandboxState, config: WebhookConfig | None, params: Params) -> None:
    if params.flag("drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook.set(config)
    state.updates.refuse_polls(WEBHOOK_CONFLICT if config is not None else None)


async def set_webhook(state: SandboxState, params: Params) -> Any:
    config = read_config(params)
    if config is not None:
        allowed = params.json("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON object")
        state.updates.set_allowed(allowed)
    _apply(state, config, params)
    return True


async def delete_webhook(state: SandboxState, params: Params) -> Any:
    _apply(state, None, params)
    return True


async def get_webhook_info(state: SandboxState, params: Params) -> Any:
    return state.webhook.info(pending=len(state.updates.pending), allowed=state.updates.allowed)


METHODS = {
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
}
