import os

print("hello from app.py")
print(sorted(os.listdir(".")))
