print("bridge")
