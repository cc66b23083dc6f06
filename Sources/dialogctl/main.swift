print("dialogctl")
