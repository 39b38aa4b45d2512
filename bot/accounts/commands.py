"""`python -m bot account …`: coordinator and recorder accounts, managed by an administrator.

Passwords are typed at a prompt (or read from standard input with --password-stdin, for
scripts), never given as arguments, which other users of the machine could see in `ps`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.accounts import store as accounts

LANGUAGES_HELP = 'comma-separated language codes, e.g. "ti,so"; "*" for all (recorders; coordinators have all)'


def _list(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("account", help="add, change, lock or list coordinator accounts")
    actions = parser.add_subparsers(dest="account_command", required=True)
    add = actions.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", choices=accounts.ROLES, default="coordinator")
    add.add_argument(
        "--municipalities", default="", help='comma-separated, e.g. "Malmö,Lund"; "*" for all (coordinators only)'
    )
    add.add_argument("--languages", default="", help=LANGUAGES_HELP)
    add.add_argument("--password-stdin", action="store_true")
    spoken = actions.add_parser("languages", help="set the languages a recorder records and approves in")
    spoken.add_argument("username")
    spoken.add_argument("languages", help=LANGUAGES_HELP)
    password = actions.add_parser("password", help="set a new password (ends the account's logins)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    for name, text in (("disable", "stop an account from logging in"), ("enable", "let it log in again")):
        actions.add_parser(name, help=text).add_argument("username")
    actions.add_parser("list", help="list accounts")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise accounts.AccountError("The two passwords differ.")
    return first


def run(args: argparse.Namespace) -> int:
    try:
        if args.account_command == "add":
            password = _password(args.password_stdin)
            languages = _list(args.languages)
            account = accounts.create(
                args.username, password, args.role, _list(args.municipalities), languages=languages
            )
            print(f"Added {account.username} ({account.role}).")
        elif args.account_command == "languages":
            accounts.set_languages(args.username, _list(args.languages))
            print(f"{args.username} records in: {args.languages or 'no language'}.")
        elif args.account_command == "password":
            accounts.set_password(args.username, _password(args.password_stdin))
            print(f"New password set for {args.username}.")
        elif args.account_command in ("disable", "enable"):
            accounts.set_disabled(args.username, args.account_command == "disable")
            print(f"{args.username}: {args.account_command}d.")
        else:
            failures = accounts.failed_logins()
            for account, disabled in accounts.listing():
                state = " (disabled)" if disabled else ""
                if failures.get(account.username):
                    state += f" ({failures[account.username]} wrong passwords since the last login)"
                places, spoken = ",".join(account.municipalities), ",".join(account.languages)
                print(f"{account.username}\t{account.role}\t{places}\t{spoken}{state}")
    except accounts.AccountError as error:
        print(error, file=sys.stderr)
        return 1
    return 0
