# A city government's website without the citation of the page that shows it.
# expect: Violation shapes:SourcedWebsiteShape sh:OrConstraintComponent id:government/kita
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/government/kita> seirei:sourceCitation "https://www.city.kita.example.org/about/ (updated 2025-04-01)" }
