print("dialogd")
