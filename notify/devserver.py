"""`make run`: the web server on http://127.0.0.1:5000 for trying the service on one machine."""

from notify import create_app
from notify.demo import DEMO_PASSWORD, sign_ins
from notify.extensions import db


def main() -> None:
    app = create_app()
    with app.app_context():
        users = sign_ins(db.session(), app.config["HOME_AUTHORITY"])
    print("\nPlacement Notify is running at http://127.0.0.1:5000")
    print(f"Sign in as any of these, with the password {DEMO_PASSWORD!r}:")
    for role, email in users:
        print(f"  {email:45} {role}")
    print()
    app.run(host="127.0.0.1", port=5000, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
