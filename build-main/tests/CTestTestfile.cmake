# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build-main/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
