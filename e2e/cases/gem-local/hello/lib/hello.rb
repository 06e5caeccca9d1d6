# Says hello.
module Hello
  # Prints the greeting.
  def self.main
    puts "hello from an installed gem"
  end
end
