print("hello from the dockopt example")
