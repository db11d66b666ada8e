package io.payledger.command.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Lets web slice tests in other packages use the real problem mapping. */
@Configuration(proxyBeanMethods = false)
@Import(ProblemResponses.class)
public class TestWebImports {
}
