# lactsim_write_if_changed(PATH CONTENT): writes CONTENT to PATH only when it differs from what
# PATH holds, so a re-configure that generates the same source rebuilds nothing.
# (Not file(CONFIGURE): it would substitute @VAR@ patterns inside embedded scripts and tables.)
function(lactsim_write_if_changed path content)
  set(previous "")
  if(EXISTS "${path}")
    file(READ "${path}" previous)
  endif()
  if(NOT previous STREQUAL content)
    file(WRITE "${path}" "${content}")
  endif()
endfunction()
