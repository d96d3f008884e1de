# Finds a Python 3 interpreter that can import jinja2 and sets SELENE_PYTHON.
#
# On Debian the jinja2 package (python3-jinja2) is importable only by
# /usr/bin/python3, while a python3 earlier on PATH (pyenv, venv) may or may
# not have its own. Try each candidate and keep the first that works.
if(DEFINED SELENE_PYTHON AND EXISTS "${SELENE_PYTHON}")
    return()
endif()

set(_selene_py_candidates /usr/bin/python3)
find_program(_selene_path_python3 NAMES python3 NO_CACHE)
if(_selene_path_python3)
    list(APPEND _selene_py_candidates ${_selene_path_python3})
endif()

foreach(_py IN LISTS _selene_py_candidates)
    if(EXISTS "${_py}")
        execute_process(COMMAND "${_py}" -c "import jinja2, tomllib"
            RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
        if(_rc EQUAL 0)
            set(SELENE_PYTHON "${_py}" CACHE FILEPATH
                "Python 3.11+ interpreter that imports jinja2")
            message(STATUS "Selene: Python with jinja2: ${_py}")
            return()
        endif()
    endif()
endforeach()

message(FATAL_ERROR
    "Selene needs Python 3.11 or newer with jinja2, and none of these imports it: "
    "${_selene_py_candidates}.\n"
    "On Debian 12 install it with:  apt-get install python3-jinja2\n"
    "or pass -DSELENE_PYTHON=/path/to/python3 for an interpreter that has jinja2.")
