print("stacktop")
