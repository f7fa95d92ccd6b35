package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Real headless Chromium for browser tests. Skipped only when {@code -Dbrowser.tests=false};
 * otherwise a missing Chromium fails with how to install it.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    static ChromeDriver start(Path profileDir) {
        assumeFalse("false".equals(System.getProperty("browser.tests")), "browser tests disabled with -Dbrowser.tests=false");
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            fail("browser tests need Chromium and its driver at " + CHROMIUM + " and " + DRIVER
                    + ": install them with `apt-get install -y chromium chromium-driver`, or skip these tests with -Dbrowser.tests=false");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profileDir.toAbsolutePath());
        ChromeDriverService driverService = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(driverService, options);
    }
}
