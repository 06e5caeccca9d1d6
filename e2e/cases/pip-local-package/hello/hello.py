def main():
    print("hello from an installed package")
