# CMake generated Testfile for 
# Source directory: /work/main
# Build directory: /work/main/build-main
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("engine")
subdirs("agents")
subdirs("scenarios")
subdirs("tools")
subdirs("tests")
