{
  "targets": [
    {
      "target_name": "arpwarden_capture",
      "sources": ["arpwarden_capture.c"],
      "libraries": ["-lpcap"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
