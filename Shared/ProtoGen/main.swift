print("fanheat-protogen: not yet written")
