module example.com/app

go 1.22

replace example.com/lib => ./third_party/lib
