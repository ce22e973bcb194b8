"""Every command the README lists is registered, each by the feature it serves."""

from flask import Flask

README_COMMANDS = {
    "seed": {"reference", "demo"},
    "geo": {"import-onspd"},
    "directory": {"import-contacts"},
    "notify": {"worker", "dispatch", "resend", "chase", "collect"},
    "inbound": {"reconcile"},
    "users": {"create", "sign-out-everywhere", "unlock"},
    "api-keys": {"create", "list", "revoke"},
}


def test_every_command_in_the_readme_is_registered(app: Flask) -> None:
    groups = app.cli.list_commands(app.app_context())  # type: ignore[arg-type]
    for group, commands in README_COMMANDS.items():
        assert group in groups, group
        registered = app.cli.get_command(None, group).list_commands(None)  # type: ignore[arg-type, union-attr]
        assert commands <= set(registered), (group, registered)
