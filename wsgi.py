from notify import create_app

app = create_app()
