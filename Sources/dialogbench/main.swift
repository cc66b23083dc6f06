print("dialogbench")
