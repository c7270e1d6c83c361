# A contact page given as a string, not an IRI.
# expect: Violation shapes:ContactPointShape-url sh:NodeConstraintComponent id:contact-point/kita-bureau-page
# cause: shapes:HttpUrlShape sh:NodeKindConstraintComponent
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-bureau-page> schema:url <https://www.city.kita.example.org/somu/inquiry/> } ;
INSERT DATA { <https://w3id.org/seirei/id/contact-point/kita-bureau-page> schema:url "https://www.city.kita.example.org/somu/inquiry/" }
