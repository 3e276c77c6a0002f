# Browser tests of the demo web phone: headless Chromium driven by playwright-core (tests/peers),
# each in its own loopback-only network namespace when possible (browser/isolated.sh). Registered
# only when the page can work at all: node, the npm test peers (JsSIP bundle) and Chromium.
if(RTCGATE_BUILD_TESTS AND TARGET rtcgate AND TARGET rtcgate_web_bundle)
  find_program(RTCGATE_CHROMIUM NAMES chromium chromium-browser)
  if(RTCGATE_CHROMIUM AND EXISTS ${PROJECT_SOURCE_DIR}/tests/peers/node_modules/playwright-core)
    add_test(NAME gateway_demo_page_browser
      COMMAND ${CMAKE_CURRENT_LIST_DIR}/browser/isolated.sh ${RTCGATE_NODE}
              ${CMAKE_CURRENT_LIST_DIR}/browser/demo_page_test.js $<TARGET_FILE:rtcgate> ${RTCGATE_CHROMIUM})
    set_tests_properties(gateway_demo_page_browser PROPERTIES LABELS "no-sanitizer;browser" TIMEOUT 90)
  else()
    message(STATUS "rtcgate: Chromium or playwright-core missing: the demo page browser test is not registered")
  endif()
endif()
