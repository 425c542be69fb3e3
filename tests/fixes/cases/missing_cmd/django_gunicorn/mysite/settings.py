SECRET_KEY = "test"
