// OWL 2 DL profile check of one RDF file by the OWL API (the checker ROBOT's validate-profile runs):
// prints one violation per line on stdout and the number of axioms read on stderr, exits 0 whether or
// not there are violations (the caller counts them) and non-zero if the file cannot be read.
//
// Run as a single-file source program: java -cp <OWL API jars> tests/owl/ProfileCheck.java FILE
// (tests/test_owl_profile.py builds the class path from Debian's libowlapi-java). Source launch needs a
// JDK (Debian default-jdk-headless) rather than JPype1 and a JRE: the JDK is one Debian package on top of
// the JRE the reasoner test needs anyway, adds no compiled wheel to the Python environment, and this
// file can be run by hand exactly as the test runs it.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.Profiles;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // no network: an owl:imports would be reported, not fetched (the file is checked as published)
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(
            new FileDocumentSource(new File(args[0])), config);
        System.err.println("axioms: " + ontology.getAxiomCount());
        for (OWLProfileViolation violation : Profiles.OWL2_DL.checkOntology(ontology).getViolations()) {
            System.out.println(violation.toString().replace('\n', ' '));
        }
    }
}
